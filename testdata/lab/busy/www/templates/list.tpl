<li class="product">{{ name }} <span>{{ price }} EUR</span></li>
